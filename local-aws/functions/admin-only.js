/** Exists so that invoking it shows AccessDeniedException: no demo identity may. */
export const handler = async () => ({ rotated: true });
