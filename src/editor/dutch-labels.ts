// Keystatic's own Dutch interface text is machine-translated: "Redden" (rescue) for Save,
// "Filiaal" (a shop's branch) for a git branch. Its strings cannot be set in the config, so this
// Vite plugin replaces them in Keystatic's code as it is bundled, in `npm run dev` (through
// Vite's dependency bundling) and in a build with the editor. The rest of its interface is
// English and cannot be translated. The plugin also names the one button Keystatic leaves
// without a name for screen readers.
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

/** Every string Keystatic translates, in Dutch as editors expect it. Git terms stay English. */
export const dutchLabels = {
  add: 'Toevoegen',
  basedOn: 'Gebaseerd op',
  branches: 'Branches',
  branchName: 'Naam van de branch',
  cancel: 'Annuleren',
  clear: 'Wissen',
  collection: 'Collectie',
  collections: 'Collecties',
  create: 'Aanmaken',
  createPullRequest: 'Pull request maken',
  currentBranch: 'Huidige branch',
  dashboard: 'Overzicht',
  defaultBranch: 'Standaardbranch',
  delete: 'Verwijderen',
  deleteBranch: 'Branch verwijderen',
  edit: 'Bewerken',
  loading: 'Bezig met laden',
  newBranch: 'Nieuwe branch',
  otherBranches: 'Andere branches',
  pullRequests: 'Pull requests',
  save: 'Opslaan',
  search: 'Zoeken',
  singleton: 'Los item',
  singletons: 'Losse items',
  theCurrentlyCheckedOutBranch:
    'De branch waarin je nu werkt. Kies deze om verder te werken op wat daar al staat.',
  theDefaultBranchInYourRepository:
    'De standaardbranch van de repository. Kies deze om iets nieuws te beginnen dat los staat van je huidige branch.',
  viewPullRequests: 'Pull requests bekijken',
} as const;

/** Keystatic's table of interface strings: a module-level `strings` with one entry per locale. */
const stringTable = /\nconst strings = \{\n\s+"ar-AE": \{/;

/**
 * The text editor's "+" menu button shows only icons, with "Insert" in a tooltip that screen
 * readers never hear; it gets that word as its name (the same as the tooltip, so speech input
 * works with what is seen).
 */
const unnamedInsertButton =
  /(jsxs\(ActionButton, \{)(\n\s+(?:marginY: "regular",\n\s+)?marginEnd: entryLayoutPane === 'main' \? undefined : 'medium',\n\s+children: \[\/\*#__PURE__\*\/jsx\(Icon, \{\n\s+src: plusIcon)/g;

/** Keystatic's module with the string table, with our Dutch written over its own and the button named. */
export function withDutchLabels(code: string): string {
  const named = code.replace(unnamedInsertButton, '$1\n"aria-label": "Insert",$2');
  if (named === code)
    throw new Error(
      'Keystatic\'s "+" menu button was not found to name. Keystatic has changed: update src/editor/dutch-labels.ts.',
    );
  return `${named}\nObject.assign(strings["nl-NL"], ${JSON.stringify(dutchLabels)});\n`;
}

export function dutchLabelsPlugin(): Plugin {
  // The name goes into Vite's hash of the dependency bundle: new labels make it bundle again.
  const version = createHash('sha256')
    .update(withDutchLabels.toString() + JSON.stringify(dutchLabels))
    .digest('hex')
    .slice(0, 8);
  return {
    name: `reeks:dutch-labels-${version}`,
    transform(code, id) {
      if (!id.includes('@keystatic/core') || !stringTable.test(code)) return undefined;
      return { code: withDutchLabels(code), map: null };
    },
  };
}
