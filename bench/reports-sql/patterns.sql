-- patterns: the counts behind `closeloop patterns --target churn` as of
-- @TODAY@ (docs/metrics.md, "Pattern discovery"): population, targets, and
-- for every level of every attribute alone and every pair of levels on
-- different attributes, members and churned members.  Customers are
-- accounts with a won `new` deal closed on or before today (deal attributes
-- from the earliest one); the target is a first churn on or before today.
-- Level keys read field|op|value as in the patterns JSON (an `arr` range by
-- its lower bound).  Triples are not computed: closeloop extends only its
-- 32 best pairs.
WITH sd AS (
    SELECT account_id, closed_on, source, champion_level,
           champion_tenure_months AS ten, exec_sponsor, icp_fit_score AS fit,
           arr, use_case,
           row_number() OVER (PARTITION BY account_id
                              ORDER BY closed_on, id) AS rn
    FROM deals
    WHERE stage = 'closed_won' AND type = 'new' AND closed_on IS NOT NULL),
fc AS (SELECT account_id, min(churned_on) AS churned_on
       FROM churns GROUP BY account_id),
pop AS (
    SELECT sd.account_id AS id, a.employees, a.industry, a.region,
           a.has_ops_function AS ops, sd.source, sd.champion_level AS lvl,
           sd.ten, sd.exec_sponsor AS ex, sd.fit, sd.arr, sd.use_case,
           CASE WHEN fc.churned_on <= '@TODAY@' THEN 1 ELSE 0 END AS y
    FROM sd JOIN accounts a ON a.id = sd.account_id
    LEFT JOIN fc ON fc.account_id = sd.account_id
    WHERE sd.rn = 1 AND sd.closed_on <= '@TODAY@'),
-- ARR quartiles: q_j is the value at position floor(j m / 4) (from 0) of
-- the m known values sorted.
arrs AS (SELECT arr, row_number() OVER (ORDER BY arr) - 1 AS pos,
                count(*) OVER () AS m FROM pop WHERE arr IS NOT NULL),
qs AS (
    SELECT max(CASE WHEN pos = floor(m * 1 / 4.0) THEN arr END) AS q1,
           max(CASE WHEN pos = floor(m * 2 / 4.0) THEN arr END) AS q2,
           max(CASE WHEN pos = floor(m * 3 / 4.0) THEN arr END) AS q3
    FROM arrs),
lv AS (
    SELECT id, y, 'employees' AS f,
           CASE WHEN employees < 20 THEN '<|20'
                WHEN employees < 50 THEN 'in|20-49'
                WHEN employees < 200 THEN 'in|50-199'
                WHEN employees < 1000 THEN 'in|200-999'
                ELSE '>=|1000' END AS l
    FROM pop WHERE employees >= 1
    UNION ALL SELECT id, y, 'industry', '=|' || industry FROM pop
    WHERE industry IS NOT NULL
    UNION ALL SELECT id, y, 'region', '=|' || region FROM pop
    WHERE region IS NOT NULL
    UNION ALL SELECT id, y, 'source', '=|' || source FROM pop
    WHERE source IS NOT NULL
    UNION ALL SELECT id, y, 'use_case', '=|' || use_case FROM pop
    WHERE use_case IS NOT NULL
    UNION ALL
    SELECT id, y, 'has_ops_function',
           CASE WHEN ops THEN '=|true' ELSE '=|false' END
    FROM pop WHERE ops IS NOT NULL
    UNION ALL
    SELECT id, y, 'exec_sponsor',
           CASE WHEN ex THEN '=|true' ELSE '=|false' END
    FROM pop WHERE ex IS NOT NULL
    UNION ALL SELECT id, y, 'champion_level', '=|' || lvl FROM pop
    WHERE lvl IS NOT NULL
    UNION ALL
    SELECT id, y, 'champion_level',
           CASE WHEN lvl IN ('ic', 'manager') THEN '<|director'
                ELSE '>=|director' END
    FROM pop WHERE lvl IS NOT NULL
    UNION ALL
    SELECT id, y, 'champion_tenure_months',
           CASE WHEN ten < 6 THEN '<|6' WHEN ten < 12 THEN 'in|6-11'
                WHEN ten < 24 THEN 'in|12-23' ELSE '>=|24' END
    FROM pop WHERE ten >= 0
    UNION ALL
    SELECT id, y, 'icp_fit_score',
           CASE WHEN fit < 40 THEN '<|40' WHEN fit < 70 THEN 'in|40-69'
                ELSE '>=|70' END
    FROM pop WHERE fit >= 0 AND fit <= 100
    UNION ALL
    SELECT id, y, 'arr',
           CASE WHEN arr < q1 THEN '<|' || CAST(CAST(q1 AS BIGINT) AS TEXT)
                WHEN arr < q2 THEN 'in|' || CAST(CAST(q1 AS BIGINT) AS TEXT)
                WHEN arr < q3 THEN 'in|' || CAST(CAST(q2 AS BIGINT) AS TEXT)
                ELSE '>=|' || CAST(CAST(q3 AS BIGINT) AS TEXT) END
    FROM pop, qs WHERE arr IS NOT NULL),
lk AS (SELECT id, y, f, f || '|' || l AS key FROM lv)
SELECT 'population' AS k, count(*) * 1.0 AS v, NULL AS t FROM pop
UNION ALL SELECT 'targets', sum(y) * 1.0, NULL FROM pop
UNION ALL
SELECT 'p1:' || key, count(*) * 1.0, sum(y) * 1.0 FROM lk GROUP BY key
UNION ALL
SELECT 'p2:' || a.key || '&' || b.key, count(*) * 1.0, sum(a.y) * 1.0
FROM lk a JOIN lk b ON b.id = a.id AND a.f < b.f
GROUP BY a.key, b.key;
