// Keystatic, the browser editor that `npm run dev` serves at /admin (see src/integrations/editor.ts).
// Its collections are built in src/editor/keystatic.ts from the content model, which the dev
// server derives from src/content.config.ts and the files in the content folder.
import model from 'virtual:reeks/editor-model';
import { keystaticConfig } from './src/editor/keystatic.ts';

export default keystaticConfig(model);
