.[0].warnings | any(.id == "cauda-equina" and .level == "emergency")
