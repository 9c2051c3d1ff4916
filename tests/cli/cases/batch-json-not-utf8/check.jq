length == 3 and (.[1].error | test("unknown region")) and (.[2].error | test("longer than 127"))
