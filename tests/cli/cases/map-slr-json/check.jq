.[0] | (.pattern == "radicular" or .pattern == "mixed") and (.candidates[0:2] | any(.cause == "root:S1" and .side == "r")) and (.warnings | any(.id == "numbness"))
