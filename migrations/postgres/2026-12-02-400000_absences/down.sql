DROP TABLE absence_cases;
DROP TABLE absences;
