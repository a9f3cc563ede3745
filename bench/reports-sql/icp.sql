-- icp: the core aggregates of `closeloop report icp --period P`
-- (docs/metrics.md, "icp report"): per dimension and value, customers,
-- churned and 12-month churn with its interval.  12-month churn is
-- 1 - S(365), S the Kaplan-Meier product-limit estimator written with a
-- window function: per segment and day t, d events and n at risk (the sum
-- of everyone whose time is >= t, censorings at t included: events before
-- censorings), S(365) = exp(sum over event days t <= 365 of ln(1 - d/n)),
-- Greenwood's variance sum d/(n(n-d)) and the log-log 95% interval.
WITH sd AS (
    SELECT account_id, closed_on, source, champion_level,
           champion_tenure_months, exec_sponsor, icp_fit_score,
           row_number() OVER (PARTITION BY account_id
                              ORDER BY closed_on, id) AS rn
    FROM deals
    WHERE stage = 'closed_won' AND type = 'new' AND closed_on IS NOT NULL),
fc AS (SELECT account_id, min(churned_on) AS churned_on
       FROM churns GROUP BY account_id),
cust AS (
    SELECT a.employees, a.industry, a.region, a.has_ops_function,
           sd.source, sd.champion_level, sd.champion_tenure_months AS ten,
           sd.exec_sponsor, sd.icp_fit_score AS fit,
           DAYS(sd.closed_on) AS st,
           CASE WHEN fc.churned_on <= '@TO@' THEN DAYS(fc.churned_on) END
               AS ch
    FROM sd JOIN accounts a ON a.id = sd.account_id
    LEFT JOIN fc ON fc.account_id = sd.account_id
    WHERE sd.rn = 1 AND sd.closed_on <= '@TO@'),
obs AS (
    SELECT *,
           CASE WHEN ch IS NULL THEN 0 ELSE 1 END AS ev,
           CASE WHEN ch IS NULL THEN DAYS('@TO@') - st
                WHEN ch < st THEN 0 ELSE ch - st END AS t
    FROM cust),
seg AS (
    SELECT 'all' AS dim, 'all' AS val, t, ev FROM obs
    UNION ALL
    SELECT 'employees_band',
           CASE WHEN employees IS NULL OR employees < 1 THEN NULL
                WHEN employees < 20 THEN '1-19'
                WHEN employees < 50 THEN '20-49'
                WHEN employees < 200 THEN '50-199'
                WHEN employees < 1000 THEN '200-999'
                ELSE '1000+' END, t, ev FROM obs
    UNION ALL SELECT 'industry', industry, t, ev FROM obs
    UNION ALL SELECT 'region', region, t, ev FROM obs
    UNION ALL SELECT 'source', source, t, ev FROM obs
    UNION ALL SELECT 'champion_level', champion_level, t, ev FROM obs
    UNION ALL
    SELECT 'champion_tenure_band',
           CASE WHEN ten IS NULL OR ten < 0 THEN NULL
                WHEN ten < 6 THEN '<6' WHEN ten < 12 THEN '6-11'
                WHEN ten < 24 THEN '12-23' ELSE '24+' END, t, ev FROM obs
    UNION ALL
    SELECT 'exec_sponsor',
           CASE WHEN exec_sponsor IS NULL THEN NULL
                WHEN exec_sponsor THEN 'true' ELSE 'false' END, t, ev
    FROM obs
    UNION ALL
    SELECT 'has_ops_function',
           CASE WHEN has_ops_function IS NULL THEN NULL
                WHEN has_ops_function THEN 'true' ELSE 'false' END, t, ev
    FROM obs
    UNION ALL
    SELECT 'icp_fit_band',
           CASE WHEN fit IS NULL OR fit < 0 OR fit > 100 THEN NULL
                WHEN fit < 40 THEN '0-39' WHEN fit < 70 THEN '40-69'
                ELSE '70-100' END, t, ev FROM obs),
g AS (SELECT dim, val, t, sum(ev) AS d, count(*) AS m
      FROM seg GROUP BY dim, val, t),
r AS (SELECT dim, val, t, d, m,
             sum(m) OVER (PARTITION BY dim, val ORDER BY t DESC
                          ROWS UNBOUNDED PRECEDING) AS nr
      FROM g),
km AS (
    SELECT dim, coalesce(val, 'null') AS val, sum(m) AS customers,
           sum(d) AS churned,
           sum(CASE WHEN t <= 365 AND d > 0 AND d < nr
                    THEN ln(1.0 - d * 1.0 / nr) ELSE 0 END) AS ls,
           max(CASE WHEN t <= 365 AND d > 0 AND d >= nr THEN 1 ELSE 0 END)
               AS zero,
           sum(CASE WHEN t <= 365 AND d > 0 AND d < nr
                    THEN d * 1.0 / (nr * (nr - d)) ELSE 0 END) AS gw
    FROM r GROUP BY dim, val),
ci AS (
    SELECT dim, val, customers, churned, zero, ls,
           CASE WHEN zero = 1 THEN 1.0 ELSE 1 - exp(ls) END AS churn_12m,
           1.959963984540054 * sqrt(gw) / ls AS w, ln(-ls) AS c
    FROM km WHERE ls < 0 AND zero = 0
    UNION ALL
    SELECT dim, val, customers, churned, zero, ls,
           CASE WHEN zero = 1 THEN 1.0 ELSE 0.0 END, NULL, NULL
    FROM km WHERE NOT (ls < 0 AND zero = 0))
SELECT dim || '.' || val || '.customers' AS k, customers * 1.0 AS v FROM ci
UNION ALL SELECT dim || '.' || val || '.churned', churned * 1.0 FROM ci
UNION ALL SELECT dim || '.' || val || '.churn_12m', churn_12m FROM ci
UNION ALL
SELECT dim || '.' || val || '.ci_low', 1 - exp(-exp(c + w)) FROM ci
WHERE w IS NOT NULL
UNION ALL
SELECT dim || '.' || val || '.ci_high', 1 - exp(-exp(c - w)) FROM ci
WHERE w IS NOT NULL;
