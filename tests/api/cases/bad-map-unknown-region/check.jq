.error.code == "invalid-mark" and (.error.message | test("r.thigh.outer.upper")) and (.warnings | any(.id == "cauda-equina"))
