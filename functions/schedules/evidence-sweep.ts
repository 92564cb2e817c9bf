/** Contract placeholder: replaced by its implementation before this lands. */
export const handler = async (): Promise<never> => {
  throw new Error('not built yet');
};
