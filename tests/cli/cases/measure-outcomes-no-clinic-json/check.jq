.[0].caseload == 0 and .[0].reassessment_due == [] and .[0].not_improving == [] and .[0].outcomes.patients_measured == 0 and (.[0].about | test("MCID"))
