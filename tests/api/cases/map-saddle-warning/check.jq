.warnings | any(.id == "cauda-equina")
