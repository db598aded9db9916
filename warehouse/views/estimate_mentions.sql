-- Every figure that reports a quantity an estimate group can hold, with the group it joins:
-- what was counted (category family and event), where (the figure's place, else the place
-- its document's figures name most), when (the event date, else the date it was reported),
-- who reported it, and whether it is a copy of an earlier mention or a running total.
-- The rules (window, families, qualifiers, cues) are warehouse/rules.yml's vars.
with

documents as (
    select * from main.documents
    where retired_at is null
),

-- Not materialized: an import read by several steps would otherwise be copied whole (every
-- column, the sentences too) before each step reads the few columns it needs.
figures as not materialized (
    select * from main.figures
    where event is not null
),

document_sentences as (
    select * from main.document_sentences
),

-- A document whose date the run flags as suspect because its sentences appear in an
-- earlier document is a later copy: its text, and so its figures, date from the earliest
-- document it shares sentences with (and its event dates, resolved against the later page
-- date, are not used). The earliest date of each sentence is taken over every document
-- that holds it, the document itself included: only a date before its own makes it a copy,
-- and one sentence held by thousands of documents is one row, not thousands squared.
sentence_dates as (
    select
        document_sentences.sentence_hash,
        min(documents.published_date) as earliest_date
    from document_sentences
    inner join documents on documents.doc_id = document_sentences.doc_id
    group by document_sentences.sentence_hash
),

copied_from as (
    select
        document_sentences.doc_id,
        min(sentence_dates.earliest_date) as earliest_date
    from document_sentences
    inner join sentence_dates on sentence_dates.sentence_hash = document_sentences.sentence_hash
    group by document_sentences.doc_id
),

reported as (
    select
        documents.doc_id,
        documents.source_file,
        documents.title,
        coalesce(
            documents.outlet,
            nullif(array_to_string(documents.agencies, ', '), ''),
            'outlet not named'
        ) as outlet,
        case
            when documents.date_suspect is not null and copied_from.earliest_date < documents.published_date
                then copied_from.earliest_date
            else documents.published_date
        end as reported_on,
        documents.date_suspect is not null and copied_from.earliest_date < documents.published_date as redated_as_copy
    from documents
    left join copied_from on copied_from.doc_id = documents.doc_id
),

-- The place a document's figures name most; among places named as often, one that is not
-- a country or region first.
document_places as (
    select
        doc_id,
        place as document_place
    from figures
    where place is not null
    group by doc_id, place
    qualify row_number() over (
        partition by doc_id
        order by count(*) desc, list_contains({{ broad_places }}, place), place
    ) = 1
),

located as (
    select
        figures.figure_id,
        figures.doc_id,
        coalesce(map_extract_value({{ category_family }}, figures.category), figures.category) as category,
        figures.category as figure_category,
        figures.event,
        coalesce(figures.place, document_places.document_place) as place,
        figures.place is null as place_from_document,
        case when reported.redated_as_copy then reported.reported_on
             else coalesce(figures.event_date, reported.reported_on) end as as_of,
        reported.reported_on,
        reported.source_file,
        figures.qualifier,
        figures.value_low,
        figures.value_high,
        -- The sentence as the syndicated-copy check sees it (case, punctuation and spacing
        -- do not make a copy a new report), hashed when the figure was read: copies are
        -- found by partitioning on it, and a number sorts faster than a sentence.
        figures.sentence_hash,
        -- A cue just before the count. Most sentences hold no cue at all: one pattern of
        -- them all (compiled once) rules those out before each cue is tried.
        case
            when regexp_matches(
                figures.sentence,
                '(?i)(?:' || array_to_string(
                    list_transform({{ running_total_cues }}, lambda cue: regexp_escape(cue)), '|'
                ) || ')'
            )
                then len(list_filter(
                    {{ running_total_cues }},
                    lambda cue: contains(lower(figures.sentence), lower(cue) || ' ' || lower(figures.span))
                )) > 0
            else false
        end as is_running_total
    from figures
    inner join reported on reported.doc_id = figures.doc_id
    left join document_places on document_places.doc_id = figures.doc_id
),

-- Only what can be placed and dated is an estimate of something.
placed as (
    select * from located
    where place is not null and as_of is not null
),

-- A new group starts where the previous mention of the same quantity at the same place is
-- more than window_days earlier.
gaps as (
    select
        *,
        coalesce(
            as_of - lag(as_of) over quantity > {{ window_days }},
            true
        ) as starts_group
    from placed
    window quantity as (partition by category, event, place order by as_of, reported_on, figure_id)
),

numbered as (
    select
        *,
        sum(starts_group::int) over running as group_number,
        -- The day the group starts (its first mention's: the rows are in date order), in
        -- the same pass over the sorted rows as its number.
        max(case when starts_group then as_of end) over running as group_start
    from gaps
    window running as (
        partition by category, event, place
        order by as_of, reported_on, figure_id
        rows unbounded preceding
    )
),

-- Within a group, the first report of a sentence (and count) is the source; every later
-- document carrying the same sentence with the same count is a copy of it and counts as
-- that source.
originals as (
    select
        *,
        md5(concat_ws('|', category, event, place,
            group_start))[:16] as group_id,
        first_value(figure_id) over copies as original_figure_id,
        first_value(doc_id) over copies as source_doc_id
    from numbered
    window copies as (
        partition by category, event, place, group_number, sentence_hash, value_low, value_high, qualifier
        order by reported_on, source_file, figure_id
    )
),

-- The texts join back last: the groups and copies are found on narrow rows (millions of
-- mentions are sorted several times, and narrow rows sort in memory).
final as (
    select
        originals.group_id,
        originals.figure_id,
        originals.category,
        originals.figure_category,
        originals.event,
        originals.place,
        originals.place_from_document,
        originals.as_of,
        originals.reported_on,
        reported.outlet,
        figures.attribution,
        figures.span,
        originals.qualifier,
        originals.value_low,
        originals.value_high,
        case when list_contains({{ sets_best }}, originals.qualifier)
             then (originals.value_low + originals.value_high) / 2 end as point_value,
        originals.is_running_total,
        originals.figure_id <> originals.original_figure_id as is_copy,
        case when originals.figure_id <> originals.original_figure_id
             then originals.original_figure_id end as copy_of,
        originals.source_doc_id,
        reported.title,
        originals.source_file,
        figures.sentence
    from originals
    inner join figures on figures.figure_id = originals.figure_id
    inner join reported on reported.doc_id = originals.doc_id
)

select * from final
