// Modules the dev server makes up (src/integrations/editor.ts).
declare module 'virtual:reeks/editor-model' {
  const model: import('./model.ts').EditorModel;
  export default model;
}
