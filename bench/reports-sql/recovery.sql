-- recovery: the core aggregates of `closeloop report recovery --period P`
-- (docs/metrics.md, "Recovery review"): recoveries by type and the clusters
-- over the original deal and its account.  One (k, v) row per figure.
WITH rp AS (
    SELECT r.recovery_type, r.original_deal_id
    FROM recoveries r LEFT JOIN deals nd ON nd.id = r.new_deal_id
    WHERE coalesce(r.logged_on, nd.created_on) >= '@FROM@'
      AND coalesce(r.logged_on, nd.created_on) <= '@TO@'),
od AS (
    SELECT rp.recovery_type, d.loss_reason, d.created_on, d.first_demo_on,
           a.employees, a.industry, a.region
    FROM rp LEFT JOIN deals d ON d.id = rp.original_deal_id
    LEFT JOIN accounts a ON a.id = d.account_id)
SELECT 'recoveries' AS k, count(*) * 1.0 AS v FROM od
UNION ALL
SELECT 'by_type.' || coalesce(recovery_type, 'untyped'), count(*) * 1.0
FROM od GROUP BY recovery_type
UNION ALL
SELECT 'clusters.employees_band.' || b, count(*) * 1.0 FROM (
    SELECT CASE WHEN employees IS NULL OR employees < 1 THEN 'unknown'
                WHEN employees < 20 THEN '1-19'
                WHEN employees < 50 THEN '20-49'
                WHEN employees < 200 THEN '50-199'
                WHEN employees < 1000 THEN '200-999'
                ELSE '1000+' END AS b FROM od) x GROUP BY b
UNION ALL
SELECT 'clusters.industry.' || coalesce(industry, 'unknown'), count(*) * 1.0
FROM od GROUP BY industry
UNION ALL
SELECT 'clusters.region.' || coalesce(region, 'unknown'), count(*) * 1.0
FROM od GROUP BY region
UNION ALL
SELECT 'clusters.stage.' || coalesce(loss_reason, 'unknown'), count(*) * 1.0
FROM od GROUP BY loss_reason
UNION ALL
SELECT 'clusters.days_to_first_demo.' || b, count(*) * 1.0 FROM (
    SELECT CASE WHEN first_demo_on IS NULL OR created_on IS NULL
                THEN 'no demo'
                WHEN DAYS(first_demo_on) - DAYS(created_on) <= 45 THEN '<=45'
                ELSE '>45' END AS b FROM od) x GROUP BY b;
