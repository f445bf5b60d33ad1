// Pure rules of the double approval: which sides must approve a version and which have not yet.

export const MUNICIPALITY_SIDE = 'MUNICIPALITY';

/** The municipality, then each provider grouping named in the version (by code). */
export function requiredSides(groupingCodes: readonly string[]): string[] {
  return [MUNICIPALITY_SIDE, ...groupingCodes];
}

/** The required sides without an approval (approvals of other contents must be filtered out by the caller). */
export function missingSides(required: readonly string[], approvals: readonly { sideKey: string }[]): string[] {
  const approved = new Set(approvals.map((a) => a.sideKey));
  return required.filter((s) => !approved.has(s));
}
