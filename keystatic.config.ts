// Keystatic, the browser editor at /admin (see src/integrations/editor.ts): on the content folder
// in `npm run dev`, on the GitHub repository in a build with the editor's settings. Its
// collections are built in src/editor/keystatic.ts from the content model, which the integration
// derives from src/content.config.ts and the files in the content folder.
import model, { storage } from 'virtual:reeks/editor-model';
import { keystaticConfig } from './src/editor/keystatic.ts';

export default keystaticConfig(model, storage);
