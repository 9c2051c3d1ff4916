.[0].why[0] | .cause == "root:S1" and .side == "l" and .rank >= 1 and (.findings | map(.finding) == ["slr"]) and (.marks | length == 2) and .score > 0
