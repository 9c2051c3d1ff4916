.[0].candidates[0:3] | any(.cause == "tp:iliopsoas" and .side == "r")
