-- What one host does on another host's change notice for :k accounts: re-reads them, balances and key spend, in one
-- repeatable-read snapshot (Billing's AccountCreditLoader). The accounts are a random run of the synthetic ones.
\set first random(0, 100000 - :k)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT "AccountId", "Balance", "Version" FROM billing.accounts
  WHERE "AccountId" = ANY (ARRAY(SELECT 'fanout-' || g FROM generate_series(:first, :first + :k - 1) AS g));
SELECT "AccountId", "KeyId", "Total", "Month", "MonthAmount" FROM billing.key_spend
  WHERE "AccountId" = ANY (ARRAY(SELECT 'fanout-' || g FROM generate_series(:first, :first + :k - 1) AS g));
COMMIT;
