CREATE TABLE "region_data_versions" (
	"region_code" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "region_data_versions_prefix_idx" ON "region_data_versions" USING btree ("region_code" text_pattern_ops,"version");
--> statement-breakpoint
CREATE SEQUENCE region_data_version_seq;
--> statement-breakpoint
-- Empty at first: a region without a row has version 0 until its first change (rows are never deleted, so
-- an absence never follows a version).
--> statement-breakpoint
-- Bumps the version of every region a statement's rows belong to, in the writer's transaction.
-- TG_ARGV[0] says how a row names its regions, TG_ARGV[1] the column:
--   'region'  the column holds an e-town's (or a region's) code;
--   'entity'  the column holds an entity id (the entity's e-town);
--   'subtree' the column holds a region code whose whole subtree the row describes (a county's tier, a
--             county's leading group, a city's output growth);
--   'global'  province-wide settings: the '*' version.
-- A TRUNCATE bumps every region.
CREATE FUNCTION bump_region_data_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  how text := TG_ARGV[0];
  col text := TG_ARGV[1];
  tables text[] := CASE TG_OP
    WHEN 'INSERT' THEN ARRAY['inserted_rows']
    WHEN 'DELETE' THEN ARRAY['deleted_rows']
    WHEN 'UPDATE' THEN ARRAY['inserted_rows', 'deleted_rows']
    ELSE ARRAY[]::text[] END;
  parts text[] := ARRAY[]::text[];
  rows_table text;
BEGIN
  IF how = 'global' THEN
    parts := ARRAY['SELECT ''*''::text AS code'];
  ELSIF TG_OP = 'TRUNCATE' THEN
    parts := ARRAY['SELECT code FROM regions', 'SELECT ''*''::text AS code'];
  ELSE
    FOREACH rows_table IN ARRAY tables LOOP
      parts := parts || CASE how
        WHEN 'region' THEN format('SELECT t.%I AS code FROM %I t', col, rows_table)
        WHEN 'entity' THEN format(
          'SELECT e.etown_code AS code FROM %I t JOIN entities e ON e.id = t.%I', rows_table, col)
        WHEN 'subtree' THEN format(
          'SELECT t.%1$I AS code FROM %2$I t UNION ALL SELECT r.code FROM %2$I t JOIN regions r ON r.code LIKE t.%1$I || ''%%''',
          col, rows_table)
        END;
    END LOOP;
  END IF;
  -- Keys locked in one order, so two writers of overlapping regions cannot deadlock.
  EXECUTE format(
    'INSERT INTO region_data_versions AS v (region_code, version)
     SELECT code, nextval(''region_data_version_seq'')
     FROM (SELECT DISTINCT code FROM (%s) AS changed WHERE code IS NOT NULL) AS codes
     ORDER BY code
     ON CONFLICT (region_code) DO UPDATE SET version = excluded.version',
    array_to_string(parts, ' UNION ALL '));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER regions_versions_insert AFTER INSERT ON regions REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'code');
--> statement-breakpoint
CREATE TRIGGER regions_versions_update AFTER UPDATE ON regions REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'code');
--> statement-breakpoint
CREATE TRIGGER regions_versions_delete AFTER DELETE ON regions REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'code');
--> statement-breakpoint
CREATE TRIGGER regions_versions_truncate AFTER TRUNCATE ON regions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'code');
--> statement-breakpoint
CREATE TRIGGER etown_profiles_versions_insert AFTER INSERT ON etown_profiles REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'code');
--> statement-breakpoint
CREATE TRIGGER etown_profiles_versions_update AFTER UPDATE ON etown_profiles REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'code');
--> statement-breakpoint
CREATE TRIGGER etown_profiles_versions_delete AFTER DELETE ON etown_profiles REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'code');
--> statement-breakpoint
CREATE TRIGGER etown_profiles_versions_truncate AFTER TRUNCATE ON etown_profiles
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'code');
--> statement-breakpoint
CREATE TRIGGER leading_groups_versions_insert AFTER INSERT ON leading_groups REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'region_code');
--> statement-breakpoint
CREATE TRIGGER leading_groups_versions_update AFTER UPDATE ON leading_groups REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'region_code');
--> statement-breakpoint
CREATE TRIGGER leading_groups_versions_delete AFTER DELETE ON leading_groups REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'region_code');
--> statement-breakpoint
CREATE TRIGGER leading_groups_versions_truncate AFTER TRUNCATE ON leading_groups
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'region_code');
--> statement-breakpoint
CREATE TRIGGER city_output_growth_versions_insert AFTER INSERT ON city_output_growth REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'city_code');
--> statement-breakpoint
CREATE TRIGGER city_output_growth_versions_update AFTER UPDATE ON city_output_growth REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'city_code');
--> statement-breakpoint
CREATE TRIGGER city_output_growth_versions_delete AFTER DELETE ON city_output_growth REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'city_code');
--> statement-breakpoint
CREATE TRIGGER city_output_growth_versions_truncate AFTER TRUNCATE ON city_output_growth
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('subtree', 'city_code');
--> statement-breakpoint
CREATE TRIGGER entities_versions_insert AFTER INSERT ON entities REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER entities_versions_update AFTER UPDATE ON entities REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER entities_versions_delete AFTER DELETE ON entities REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER entities_versions_truncate AFTER TRUNCATE ON entities
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER entity_tags_versions_insert AFTER INSERT ON entity_tags REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('entity', 'entity_id');
--> statement-breakpoint
CREATE TRIGGER entity_tags_versions_update AFTER UPDATE ON entity_tags REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('entity', 'entity_id');
--> statement-breakpoint
CREATE TRIGGER entity_tags_versions_delete AFTER DELETE ON entity_tags REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('entity', 'entity_id');
--> statement-breakpoint
CREATE TRIGGER entity_tags_versions_truncate AFTER TRUNCATE ON entity_tags
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('entity', 'entity_id');
--> statement-breakpoint
CREATE TRIGGER monthly_statistics_versions_insert AFTER INSERT ON monthly_statistics REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER monthly_statistics_versions_update AFTER UPDATE ON monthly_statistics REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER monthly_statistics_versions_delete AFTER DELETE ON monthly_statistics REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER monthly_statistics_versions_truncate AFTER TRUNCATE ON monthly_statistics
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER policy_documents_versions_insert AFTER INSERT ON policy_documents REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER policy_documents_versions_update AFTER UPDATE ON policy_documents REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER policy_documents_versions_delete AFTER DELETE ON policy_documents REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER policy_documents_versions_truncate AFTER TRUNCATE ON policy_documents
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER investments_versions_insert AFTER INSERT ON investments REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER investments_versions_update AFTER UPDATE ON investments REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER investments_versions_delete AFTER DELETE ON investments REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER investments_versions_truncate AFTER TRUNCATE ON investments
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER facilities_versions_insert AFTER INSERT ON facilities REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER facilities_versions_update AFTER UPDATE ON facilities REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER facilities_versions_delete AFTER DELETE ON facilities REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER facilities_versions_truncate AFTER TRUNCATE ON facilities
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER supply_chains_versions_insert AFTER INSERT ON supply_chains REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER supply_chains_versions_update AFTER UPDATE ON supply_chains REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER supply_chains_versions_delete AFTER DELETE ON supply_chains REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER supply_chains_versions_truncate AFTER TRUNCATE ON supply_chains
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER pavilions_versions_insert AFTER INSERT ON pavilions REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER pavilions_versions_update AFTER UPDATE ON pavilions REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER pavilions_versions_delete AFTER DELETE ON pavilions REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER pavilions_versions_truncate AFTER TRUNCATE ON pavilions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER brands_versions_insert AFTER INSERT ON brands REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER brands_versions_update AFTER UPDATE ON brands REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER brands_versions_delete AFTER DELETE ON brands REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER brands_versions_truncate AFTER TRUNCATE ON brands
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER products_versions_insert AFTER INSERT ON products REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER products_versions_update AFTER UPDATE ON products REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER products_versions_delete AFTER DELETE ON products REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER products_versions_truncate AFTER TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER promotion_events_versions_insert AFTER INSERT ON promotion_events REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER promotion_events_versions_update AFTER UPDATE ON promotion_events REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER promotion_events_versions_delete AFTER DELETE ON promotion_events REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER promotion_events_versions_truncate AFTER TRUNCATE ON promotion_events
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER media_channels_versions_insert AFTER INSERT ON media_channels REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER media_channels_versions_update AFTER UPDATE ON media_channels REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER media_channels_versions_delete AFTER DELETE ON media_channels REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER media_channels_versions_truncate AFTER TRUNCATE ON media_channels
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER trainings_versions_insert AFTER INSERT ON trainings REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER trainings_versions_update AFTER UPDATE ON trainings REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER trainings_versions_delete AFTER DELETE ON trainings REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER trainings_versions_truncate AFTER TRUNCATE ON trainings
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER talent_people_versions_insert AFTER INSERT ON talent_people REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER talent_people_versions_update AFTER UPDATE ON talent_people REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER talent_people_versions_delete AFTER DELETE ON talent_people REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER talent_people_versions_truncate AFTER TRUNCATE ON talent_people
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER compliance_incidents_versions_insert AFTER INSERT ON compliance_incidents REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER compliance_incidents_versions_update AFTER UPDATE ON compliance_incidents REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER compliance_incidents_versions_delete AFTER DELETE ON compliance_incidents REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER compliance_incidents_versions_truncate AFTER TRUNCATE ON compliance_incidents
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('region', 'etown_code');
--> statement-breakpoint
CREATE TRIGGER stats_deadlines_versions_insert AFTER INSERT ON stats_deadlines REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('global', '');
--> statement-breakpoint
CREATE TRIGGER stats_deadlines_versions_update AFTER UPDATE ON stats_deadlines REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('global', '');
--> statement-breakpoint
CREATE TRIGGER stats_deadlines_versions_delete AFTER DELETE ON stats_deadlines REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('global', '');
--> statement-breakpoint
CREATE TRIGGER stats_deadlines_versions_truncate AFTER TRUNCATE ON stats_deadlines
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('global', '');
--> statement-breakpoint
CREATE TRIGGER system_settings_versions_insert AFTER INSERT ON system_settings REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('global', '');
--> statement-breakpoint
CREATE TRIGGER system_settings_versions_update AFTER UPDATE ON system_settings REFERENCING NEW TABLE AS inserted_rows OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('global', '');
--> statement-breakpoint
CREATE TRIGGER system_settings_versions_delete AFTER DELETE ON system_settings REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('global', '');
--> statement-breakpoint
CREATE TRIGGER system_settings_versions_truncate AFTER TRUNCATE ON system_settings
  FOR EACH STATEMENT EXECUTE FUNCTION bump_region_data_versions('global', '');
