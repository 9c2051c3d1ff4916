.[0].patients == []
