-- One row per estimate group: the mentions of one quantity (category family + event) at one
-- place within a window of dates, reconciled into low / best / high the way UCDP GED does:
-- best is the median of the independent sources' point estimates (a source that states
-- several: their median), or the latest step of a running total when the group has one;
-- low and high are the least and greatest bounds any mention gives (warehouse/rules.yml
-- says which qualifiers bound which side). A copy counts as the source it copies.
with

-- Not materialized: read by several steps, it would otherwise be copied whole (every
-- column, the sentences too) before each step reads the few columns it needs.
mentions as not materialized (
    select * from estimate_mentions
),

-- One point per independent source; running totals are a series, not competing estimates.
source_points as (
    select
        group_id,
        source_doc_id,
        median(point_value) as point_value
    from mentions
    where not is_copy and not is_running_total and point_value is not null
    group by group_id, source_doc_id
),

points as (
    select
        group_id,
        median(point_value) as median_point,
        min(point_value) as smallest_point,
        max(point_value) as largest_point,
        count(*) as n_point_sources
    from source_points
    group by group_id
),

latest_running_totals as (
    select
        group_id,
        point_value as latest_total
    from mentions
    where is_running_total and point_value is not null
    qualify row_number() over (
        partition by group_id order by as_of desc, reported_on desc, point_value desc
    ) = 1
),

bounds as (
    select
        group_id,
        min(value_low) filter (where list_contains({{ bounds_low }}, qualifier)) as low,
        max(value_high) filter (where list_contains({{ bounds_high }}, qualifier)) as high
    from mentions
    group by group_id
),

groups as (
    select
        group_id,
        any_value(category) as category,
        any_value(event) as event,
        any_value(place) as place,
        min(as_of) as first_as_of,
        max(as_of) as last_as_of,
        min(reported_on) as first_reported,
        max(reported_on) as last_reported,
        count(*) as n_mentions,
        count(*) filter (where is_copy) as n_copies,
        count(distinct source_doc_id) as n_sources,
        count(*) filter (where is_running_total) as n_running_totals,
        list(distinct outlet order by outlet) as outlets,
        list(distinct attribution order by attribution) filter (where attribution is not null) as attributions,
        min(source_file) as first_source_file
    from mentions
    group by group_id
),

final as (
    select
        groups.group_id,
        groups.category,
        groups.event,
        groups.place,
        groups.first_as_of,
        groups.last_as_of,
        groups.first_reported,
        groups.last_reported,
        bounds.low,
        coalesce(latest_running_totals.latest_total, points.median_point) as best,
        bounds.high,
        case
            when latest_running_totals.latest_total is not null then 'latest running total'
            when points.median_point is not null then 'median of independent point estimates'
        end as best_rule,
        groups.n_sources,
        groups.n_mentions,
        groups.n_copies,
        groups.n_running_totals,
        coalesce(points.n_point_sources, 0) as n_point_sources,
        points.smallest_point,
        points.largest_point,
        coalesce(points.largest_point > {{ conflict_ratio }} * points.smallest_point, false) as sources_disagree,
        groups.outlets,
        coalesce(groups.attributions, []) as attributions,
        groups.first_source_file
    from groups
    inner join bounds on bounds.group_id = groups.group_id
    left join points on points.group_id = groups.group_id
    left join latest_running_totals on latest_running_totals.group_id = groups.group_id
)

select * from final
order by n_sources desc, n_mentions desc, category, event, place, first_as_of
