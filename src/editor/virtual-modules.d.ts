// Modules the editor integration makes up (src/integrations/editor.ts).
declare module 'virtual:reeks/editor-model' {
  const model: import('./model.ts').EditorModel;
  export default model;
  export const storage: import('./keystatic.ts').EditorStorage;
}
