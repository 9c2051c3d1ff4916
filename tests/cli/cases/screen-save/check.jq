.[0].fever == "not-sure" and .[0].age == 45 and .[1].level == "none"
