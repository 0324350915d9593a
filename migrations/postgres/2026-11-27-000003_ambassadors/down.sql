DROP TABLE case_packages;
DROP TABLE welcome_packages;
DROP TABLE signin_links;
DROP TABLE referrals;
DROP TABLE ambassador_interests;
DROP TABLE ambassador_areas;
DROP TABLE ambassadors;
