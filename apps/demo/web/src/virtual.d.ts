declare module 'virtual:surrograd-backends' {
  /** Package name → dynamic import, for each backend package resolvable when the page was served. */
  export const packageLoaders: Record<string, () => Promise<unknown>>;
}
