# Fælles sidelayout (templates/base.html)

base-product-name = Velkomst
base-tagline = Bosætning og tilflytning
base-tagline-staff = Velkomst – sagsbehandling
base-skip-link = Gå til sideindhold
base-home-link-title = Gå til forsiden
base-logged-in-as = Logget ind som
base-role-admin = Administrator
base-role-consultant = Konsulent
base-role-ambassador = Ambassadør
base-role-reporter = Rapportlæser
base-logout = Log af
base-nav-label = Hovedmenu
base-nav-cases = Sager
base-nav-users = Brugere
# Linket til samme side på det andet sprog; står derfor på engelsk.
base-lang-switch = English
base-phone = Telefon:
base-email = E-mail:
base-opening-hours = Åbningstider
base-privacy-link = Sådan behandler vi dine personoplysninger
base-accessibility-link = Tilgængelighedserklæring
