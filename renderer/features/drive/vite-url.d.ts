// Vite's `?url` imports: the asset's URL in the built app (used for pdf.js's worker script).
declare module '*?url' {
  const url: string;
  export default url;
}
