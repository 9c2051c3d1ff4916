.[0].candidates[0] | .cause == "root:S2" and .side == "r"
