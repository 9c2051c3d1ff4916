.self_care == "allowed" and .causes[0].cause == "tp:piriformis" and .home.steps[0].id == "moist-heat" and (.home.steps | map(select(.id == "graded-walking"))[0].graded.max_seconds) == 900
