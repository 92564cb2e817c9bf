/**
 * Benchmark 6: classifications per second of `classifyFee` (every rule of the rulebook evaluated,
 * matches sorted by precedence, verdict, actions, agency and refund basis), against the floor of the
 * bare loop over the same rules with trivially true predicates. The issue sets no target: reported.
 */
import { ComplaintInput } from '#shared/domain/complaint';
import { classifyFee, defaultRulebook } from '#shared/rulebook/evaluate';
import type { ClassificationInput, Rule } from '#shared/rulebook/rules';
import { benchComplaint } from '../lib/complaints.ts';
import { interleavedRounds, median } from '../lib/stats.ts';
import { runSuite } from '../lib/suite.ts';

const fmtRate = (perSecond: number) => `${(perSecond / 1e6).toFixed(2)} M`;

runSuite('rulebook', async (context) => {
  const inputs: ClassificationInput[] = Array.from({ length: 64 }, (_, n) => {
    const complaint = ComplaintInput.parse(benchComplaint(n, { tag: 'rulebook' }));
    return { fee: complaint.fee, facts: complaint.facts };
  });
  const rules = defaultRulebook.rules;
  const trivially = (_input: ClassificationInput) => true;
  let sink = 0;
  const contenders = {
    classify: (i: number) => {
      sink += classifyFee(inputs[i % inputs.length] as ClassificationInput).rules.length;
    },
    floor: (i: number) => {
      const input = inputs[i % inputs.length] as ClassificationInput;
      const matched: Rule[] = [];
      for (const rule of rules) if (trivially(input)) matched.push(rule);
      sink += matched.length;
    },
  };
  const verdicts: Record<string, number> = {};
  for (const input of inputs) {
    const { verdict } = classifyFee(input);
    verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
  }
  await interleavedRounds(contenders, {
    rounds: 3,
    opsPerRound: 100_000,
    deadline: Number.POSITIVE_INFINITY,
  });
  const times = await interleavedRounds(contenders, {
    rounds: 20,
    opsPerRound: 100_000,
    deadline: context.deadline,
  });
  const classifyUs = median(times.classify?.cpuUs ?? []);
  const floorUs = median(times.floor?.cpuUs ?? []);
  context.row({
    id: 'rulebook.classify',
    section: 6,
    benchmark: `rulebook classifyFee (${rules.length} rules)`,
    measured: classifyUs,
    unit: 'us',
    floor: floorUs,
    floorLabel: 'loop over the rules, trivially true predicates',
    ratio: classifyUs / floorUs,
    note: `${fmtRate(1e6 / classifyUs)} classifications/s per core (floor ${fmtRate(1e6 / floorUs)}/s); CPU time; no target in the issue`,
  });
  context.detail('rulebook', { version: defaultRulebook.version, verdicts, times, sink });
});
