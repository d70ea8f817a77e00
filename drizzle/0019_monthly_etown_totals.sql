CREATE TABLE "monthly_etown_totals" (
	"etown_code" text NOT NULL,
	"month" text NOT NULL,
	"rows" integer NOT NULL,
	"output_fen" bigint NOT NULL,
	"online_retail_fen" bigint NOT NULL,
	"cross_border_fen" bigint NOT NULL,
	"orders" bigint NOT NULL,
	"employees" bigint NOT NULL,
	"ecommerce_employees" bigint NOT NULL,
	CONSTRAINT "monthly_etown_totals_etown_code_month_pk" PRIMARY KEY("etown_code","month")
);
--> statement-breakpoint
-- The sums so far; from here on the triggers below keep them, in the same transaction as every change
-- (a COPY, an approval, a reopening, a deletion), so they never disagree with the rows.
INSERT INTO monthly_etown_totals (etown_code, month, rows, output_fen, online_retail_fen, cross_border_fen, orders, employees, ecommerce_employees)
SELECT etown_code, month, count(*), sum(output_fen), sum(online_retail_fen), sum(cross_border_fen), sum(orders),
  sum(employees), sum(ecommerce_employees)
FROM monthly_statistics WHERE status = 'approved' GROUP BY etown_code, month;
--> statement-breakpoint
-- Approved rows added (an approval by insert, a ledger or bulk import).
CREATE FUNCTION monthly_etown_totals_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO monthly_etown_totals AS total (etown_code, month, rows, output_fen, online_retail_fen, cross_border_fen, orders, employees, ecommerce_employees)
  SELECT etown_code, month, sum(sign), sum(sign * output_fen), sum(sign * online_retail_fen),
    sum(sign * cross_border_fen), sum(sign * orders), sum(sign * employees), sum(sign * ecommerce_employees)
  FROM (
    SELECT etown_code, month, 1 AS sign, output_fen, online_retail_fen, cross_border_fen, orders,
      employees, ecommerce_employees
    FROM inserted_rows WHERE status = 'approved'
  ) AS changes
  GROUP BY etown_code, month
  HAVING sum(sign) <> 0 OR sum(sign * output_fen) <> 0 OR sum(sign * online_retail_fen) <> 0
    OR sum(sign * cross_border_fen) <> 0 OR sum(sign * orders) <> 0 OR sum(sign * employees) <> 0
    OR sum(sign * ecommerce_employees) <> 0
  -- Keys locked in one order, so two writers of overlapping months cannot deadlock.
  ORDER BY etown_code, month
  ON CONFLICT (etown_code, month) DO UPDATE SET
    rows = total.rows + excluded.rows,
    output_fen = total.output_fen + excluded.output_fen,
    online_retail_fen = total.online_retail_fen + excluded.online_retail_fen,
    cross_border_fen = total.cross_border_fen + excluded.cross_border_fen,
    orders = total.orders + excluded.orders,
    employees = total.employees + excluded.employees,
    ecommerce_employees = total.ecommerce_employees + excluded.ecommerce_employees;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- An update moves a row in or out of the approved sums (approval, reopening) or changes its figures.
CREATE FUNCTION monthly_etown_totals_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO monthly_etown_totals AS total (etown_code, month, rows, output_fen, online_retail_fen, cross_border_fen, orders, employees, ecommerce_employees)
  SELECT etown_code, month, sum(sign), sum(sign * output_fen), sum(sign * online_retail_fen),
    sum(sign * cross_border_fen), sum(sign * orders), sum(sign * employees), sum(sign * ecommerce_employees)
  FROM (
    SELECT etown_code, month, 1 AS sign, output_fen, online_retail_fen, cross_border_fen, orders,
      employees, ecommerce_employees
    FROM inserted_rows WHERE status = 'approved'
    UNION ALL
    SELECT etown_code, month, -1 AS sign, output_fen, online_retail_fen, cross_border_fen, orders,
      employees, ecommerce_employees
    FROM deleted_rows WHERE status = 'approved'
  ) AS changes
  GROUP BY etown_code, month
  HAVING sum(sign) <> 0 OR sum(sign * output_fen) <> 0 OR sum(sign * online_retail_fen) <> 0
    OR sum(sign * cross_border_fen) <> 0 OR sum(sign * orders) <> 0 OR sum(sign * employees) <> 0
    OR sum(sign * ecommerce_employees) <> 0
  -- Keys locked in one order, so two writers of overlapping months cannot deadlock.
  ORDER BY etown_code, month
  ON CONFLICT (etown_code, month) DO UPDATE SET
    rows = total.rows + excluded.rows,
    output_fen = total.output_fen + excluded.output_fen,
    online_retail_fen = total.online_retail_fen + excluded.online_retail_fen,
    cross_border_fen = total.cross_border_fen + excluded.cross_border_fen,
    orders = total.orders + excluded.orders,
    employees = total.employees + excluded.employees,
    ecommerce_employees = total.ecommerce_employees + excluded.ecommerce_employees;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Approved rows removed (a ledger re-import, an entity deleted with its figures).
CREATE FUNCTION monthly_etown_totals_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO monthly_etown_totals AS total (etown_code, month, rows, output_fen, online_retail_fen, cross_border_fen, orders, employees, ecommerce_employees)
  SELECT etown_code, month, sum(sign), sum(sign * output_fen), sum(sign * online_retail_fen),
    sum(sign * cross_border_fen), sum(sign * orders), sum(sign * employees), sum(sign * ecommerce_employees)
  FROM (
    SELECT etown_code, month, -1 AS sign, output_fen, online_retail_fen, cross_border_fen, orders,
      employees, ecommerce_employees
    FROM deleted_rows WHERE status = 'approved'
  ) AS changes
  GROUP BY etown_code, month
  HAVING sum(sign) <> 0 OR sum(sign * output_fen) <> 0 OR sum(sign * online_retail_fen) <> 0
    OR sum(sign * cross_border_fen) <> 0 OR sum(sign * orders) <> 0 OR sum(sign * employees) <> 0
    OR sum(sign * ecommerce_employees) <> 0
  -- Keys locked in one order, so two writers of overlapping months cannot deadlock.
  ORDER BY etown_code, month
  ON CONFLICT (etown_code, month) DO UPDATE SET
    rows = total.rows + excluded.rows,
    output_fen = total.output_fen + excluded.output_fen,
    online_retail_fen = total.online_retail_fen + excluded.online_retail_fen,
    cross_border_fen = total.cross_border_fen + excluded.cross_border_fen,
    orders = total.orders + excluded.orders,
    employees = total.employees + excluded.employees,
    ecommerce_employees = total.ecommerce_employees + excluded.ecommerce_employees;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION monthly_etown_totals_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE monthly_etown_totals;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER monthly_etown_totals_insert AFTER INSERT ON monthly_statistics
  REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION monthly_etown_totals_on_insert();
--> statement-breakpoint
CREATE TRIGGER monthly_etown_totals_update AFTER UPDATE ON monthly_statistics
  REFERENCING OLD TABLE AS deleted_rows NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION monthly_etown_totals_on_update();
--> statement-breakpoint
CREATE TRIGGER monthly_etown_totals_delete AFTER DELETE ON monthly_statistics
  REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION monthly_etown_totals_on_delete();
--> statement-breakpoint
CREATE TRIGGER monthly_etown_totals_truncate AFTER TRUNCATE ON monthly_statistics
  FOR EACH STATEMENT EXECUTE FUNCTION monthly_etown_totals_on_truncate();
