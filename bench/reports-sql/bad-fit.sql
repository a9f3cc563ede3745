-- bad-fit: the core aggregates of `closeloop report bad-fit --period P`
-- (docs/metrics.md, "Quarterly bad-fit review").  One (k, v) row per figure.
-- Placeholders filled by bench/reports-sql.mjs: @FROM@ @TO@ @TOMONTH@, and
-- DAYS(x) (a date as a day number, in each engine's own way).
WITH cause_cat(code, cat) AS (
    VALUES ('icp_miss', 'wrong_icp'),
           ('misaligned_use_case', 'misaligned_use_case'),
           ('feature_overpromise', 'over_promised'),
           ('timeline_overpromise', 'over_promised')),
q AS (
    SELECT c.account_id, c.churned_on, c.arr_lost, c.primary_cause, cc.cat
    FROM churns c LEFT JOIN cause_cat cc ON cc.code = c.primary_cause
    WHERE c.churned_on >= '@FROM@' AND c.churned_on <= '@TO@'),
cohort AS (SELECT * FROM q WHERE primary_cause IS NOT NULL),
n AS (SELECT count(*) AS n FROM cohort),
cats(cat) AS (VALUES ('wrong_icp'), ('misaligned_use_case'),
                     ('over_promised')),
catc AS (
    SELECT cats.cat, count(cohort.cat) AS k
    FROM cats LEFT JOIN cohort ON cohort.cat = cats.cat GROUP BY cats.cat),
-- Wilson 95%: (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
wil AS (
    SELECT cat, k, n, k * 1.0 / n AS p, 1.959963984540054 AS z
    FROM catc, n),
acct AS (
    SELECT account_id, max(churned_on) AS churned_on,
           max(CASE WHEN cat IS NULL THEN 0 ELSE 1 END) AS bad
    FROM cohort GROUP BY account_id),
expn AS (
    SELECT acct.account_id, acct.bad, sum(d.arr) AS arr
    FROM acct JOIN deals d ON d.account_id = acct.account_id
    WHERE d.type = 'expansion' AND d.stage = 'closed_won'
      AND d.closed_on < acct.churned_on
    GROUP BY acct.account_id, acct.bad),
hrs AS (
    SELECT acct.account_id, acct.bad, coalesce(sum(h.hours), 0) AS hours
    FROM acct LEFT JOIN cs_hours h
      ON h.account_id = acct.account_id AND h.month <= '@TOMONTH@'
    GROUP BY acct.account_id, acct.bad)
SELECT 'cohort_size' AS k, n * 1.0 AS v FROM n
UNION ALL
SELECT 'untagged', count(*) * 1.0 FROM q WHERE primary_cause IS NULL
UNION ALL
SELECT 'bad_fit_churns', count(*) * 1.0 FROM cohort WHERE cat IS NOT NULL
UNION ALL
SELECT 'categories.' || cat || '.count', k * 1.0 FROM wil
UNION ALL
SELECT 'categories.' || cat || '.ci_low',
       (p + z * z / (2 * n) - z * sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)))
       / (1 + z * z / n) FROM wil
UNION ALL
SELECT 'categories.' || cat || '.ci_high',
       (p + z * z / (2 * n) + z * sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)))
       / (1 + z * z / n) FROM wil
UNION ALL
SELECT 'impact.arr_lost', coalesce(sum(arr_lost), 0) FROM cohort
UNION ALL
SELECT 'impact.bad_fit.arr_lost', coalesce(sum(arr_lost), 0) FROM cohort
WHERE cat IS NOT NULL
UNION ALL
SELECT 'impact.expansion_arr', coalesce(sum(arr), 0) FROM expn
UNION ALL
SELECT 'impact.bad_fit.expansion_arr', coalesce(sum(arr), 0) FROM expn
WHERE bad = 1
UNION ALL
SELECT 'impact.cs_hours_per_account.cohort', avg(hours) FROM hrs
UNION ALL
SELECT 'impact.cs_hours_per_account.bad_fit', avg(hours) FROM hrs
WHERE bad = 1;
