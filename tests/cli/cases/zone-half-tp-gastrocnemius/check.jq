.[0].candidates[0:3] | any(.cause == "tp:gastrocnemius" and .side == "r")
