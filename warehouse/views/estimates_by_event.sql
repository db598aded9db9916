-- Every estimate of a category + event across sources, by date and outlet: the view to see
-- how one number is repeated, rounded and contradicted between reports.
-- `as_of` is the event date when the text gives one, else the publication date.
with

documents as (
    select * from main.documents
    where retired_at is null
),

figures as (
    select * from main.figures
    where event is not null
),

final as (
    select
        figures.category,
        figures.event,
        coalesce(figures.event_date, documents.published_date) as as_of,
        figures.event_date is not null as as_of_is_event_date,
        coalesce(documents.outlet, nullif(array_to_string(documents.agencies, ', '), ''), documents.source_file) as reported_by,
        figures.value_low,
        figures.value_high,
        figures.qualifier,
        figures.entity,
        figures.span,
        documents.published_date,
        documents.source_file,
        figures.figure_id
    from figures
    inner join documents on documents.doc_id = figures.doc_id
)

select * from final
order by category, event, as_of nulls last, value_low
