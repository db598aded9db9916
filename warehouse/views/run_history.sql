-- One line per run, newest first.
with

runs as (
    select * from main.runs
),

final as (
    select
        run_id,
        started_at,
        finished_at,
        round(epoch(finished_at - started_at), 1) as seconds,
        files_seen,
        files_rejected,
        documents_loaded,
        figures_loaded,
        rows_rejected,
        errors,
        warnings,
        status
    from runs
)

select * from final
order by started_at desc
