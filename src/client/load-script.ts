// Loads a module script by adding a <script type="module"> for it; a browser runs a module once,
// however often it is added. The site script uses this instead of import(): Vite wraps every
// import() of a page's script in its preload helper, which alone weighs about 0.9 KB gzipped, as
// much as the whole script may. What is loaded this way is bundled on its own (`?worker&url`
// gives the URL of a self-contained ES module bundle) and needs nothing preloaded.
export const loadScript = (src: string) =>
  new Promise((onload, onerror) =>
    document.head.append(
      Object.assign(document.createElement('script'), { type: 'module', src, onload, onerror }),
    ),
  );
