-- 100,000 synthetic accounts with three keys' spend each, for the reload measurement (kept apart by their 'fanout-' ids).
INSERT INTO billing.accounts ("AccountId", "Balance", "Currency", "Version", "UpdatedAt")
SELECT 'fanout-' || g, 100, 'USD', 1, now() FROM generate_series(0, 99999) AS g
ON CONFLICT ("AccountId") DO NOTHING;
INSERT INTO billing.key_spend ("KeyId", "AccountId", "Total", "Month", "MonthAmount")
SELECT md5('fanout-' || g || '-' || k)::uuid, 'fanout-' || g, 1.5, date_trunc('month', now())::date, 1.5
FROM generate_series(0, 99999) AS g, generate_series(1, 3) AS k
ON CONFLICT ("KeyId") DO NOTHING;
