-- Every figure of every document, in reading order, with the document's metadata and the
-- sentence it came from: the view to read one article's numbers in context.
with

documents as (
    select * from main.documents
    where retired_at is null
),

figures as (
    select * from main.figures
),

final as (
    select
        documents.doc_id,
        documents.source_file,
        documents.title,
        documents.outlet,
        documents.agencies,
        documents.published_date,
        row_number() over (partition by figures.doc_id order by figures.char_start) as figure_number,
        figures.figure_id,
        figures.span,
        figures.value_low,
        figures.value_high,
        figures.qualifier,
        figures.entity,
        figures.entity_implied,
        figures.category,
        figures.event,
        figures.event_date,
        figures.char_start,
        figures.char_end,
        figures.sentence
    from figures
    inner join documents on documents.doc_id = figures.doc_id
)

select * from final
order by source_file, figure_number
