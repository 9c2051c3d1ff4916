.candidates[0].cause == "root:S1" and .candidates[0].side == "r"
