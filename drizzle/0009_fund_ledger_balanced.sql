-- Double entry, kept by the database itself: the entries of one fund transaction sum to zero (checked
-- at commit, so a transaction's entries may be written one by one), and neither transactions nor
-- entries are ever changed or removed — a correction is a new transaction.
CREATE FUNCTION fund_transaction_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  total numeric;
  lines integer;
BEGIN
  SELECT coalesce(sum(amount_fen), 0), count(*) INTO total, lines
    FROM fund_entries WHERE transaction_id = NEW.transaction_id;
  IF total <> 0 OR lines < 2 THEN
    RAISE EXCEPTION 'fund transaction % is not balanced (sum %, % entries)', NEW.transaction_id, total, lines
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER fund_entries_balanced AFTER INSERT ON fund_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fund_transaction_check_balanced();
--> statement-breakpoint
CREATE FUNCTION fund_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (%)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER fund_entries_no_update_delete BEFORE UPDATE OR DELETE ON fund_entries
  FOR EACH ROW EXECUTE FUNCTION fund_ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER fund_entries_no_truncate BEFORE TRUNCATE ON fund_entries
  FOR EACH STATEMENT EXECUTE FUNCTION fund_ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER fund_transactions_no_update_delete BEFORE UPDATE OR DELETE ON fund_transactions
  FOR EACH ROW EXECUTE FUNCTION fund_ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER fund_transactions_no_truncate BEFORE TRUNCATE ON fund_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION fund_ledger_refuse_change();
