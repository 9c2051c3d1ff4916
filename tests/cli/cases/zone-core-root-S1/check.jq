.[0].candidates[0] | .cause == "root:S1" and .side == "r"
