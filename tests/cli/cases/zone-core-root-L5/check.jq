.[0].candidates[0] | .cause == "root:L5" and .side == "r"
