/** What the CDK assertions of every stack check the same way: cdk-nag's report and its acknowledgements. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Findings nobody acknowledged: cdk-nag run on the app, plus the report CDK wrote for every validation
 * plugin at synthesis (cdk-nag, CloudFormation validation, annotations).
 */
export const unacknowledgedFindings = (app: App, outdir: string): string[] => {
  const nag = new AwsSolutionsChecks()
    .validateScope(app)
    .violations.map(
      (violation) =>
        `${violation.ruleName} ${violation.violatingResources.map((r) => r.constructPath).join(',')}`,
    );
  const written = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; violations: { ruleName: string }[] }[];
  };
  const reported = written.pluginReports.flatMap((plugin) =>
    plugin.violations.map((violation) => `${plugin.pluginName}: ${violation.ruleName}`),
  );
  return [...nag, ...reported];
};

/** Every acknowledged finding in the app, where it was acknowledged and why. */
export const acknowledgementsOf = (app: App): { path: string; id: string; reason: string }[] =>
  app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
