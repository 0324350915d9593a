# Fælles sidelayout (templates/base.html)

base-product-name = Velkomst
# $municipality (String) kommunens navn, fx "Vordingborg Kommune"
base-tagline = { $municipality } — bosætning
# $municipality (String) kommunens navn
base-footer-about = Velkomst er { $municipality }s sagssystem til velkomst og bosætning af nye borgere.
base-skip-link = Gå til sideindhold
base-home-link-title = Gå til forsiden
base-logged-in-as = Logget ind som
base-role-admin = Administrator
base-role-consultant = Konsulent
base-role-ambassador = Ambassadør
base-logout = Log af
base-nav-label = Hovedmenu
base-nav-cases = Sager
base-nav-users = Brugere
# Linket til samme side på det andet sprog; står derfor på engelsk.
base-lang-switch = English
