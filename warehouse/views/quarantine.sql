-- What the contracts kept out (severity error) or flagged (warn), newest run first, with
-- the run that found it: the view to read before trusting a load.
with

rejects as (
    select * from main.rejects
),

runs as (
    select run_id, started_at from main.runs
),

final as (
    select
        rejects.severity,
        rejects.table_name,
        rejects.check_name,
        rejects.source_file,
        rejects.line,
        rejects.reason,
        rejects.offending_value,
        rejects.row_key,
        rejects.run_id,
        runs.started_at as found_at
    from rejects
    left join runs on runs.run_id = rejects.run_id
)

select * from final
order by severity, source_file, line
