.[0].line == 1 and (.[0].warnings | any(.id == "cauda-equina")) and (.[1] | has("pattern")) and (.[1] | has("warnings"))
