.[0].candidates[0] | .cause == "tp:peroneus-longus" and .side == "r"
