.[0] | .pattern == "radicular" and .candidates[0].cause == "root:L5" and .candidates[0].side == "l"
