.[0].patient | .id == 1 and .name == "Anna Berg" and .birth_year == 1971 and .contact == "anna@example.org" and .consent == "2026-11-20T00:00:00Z" and .archived == null and .planned_visits == 8
