# Shared page layout (templates/base.html)

base-product-name = Velkomst
# $municipality (String) the municipality's name, e.g. "Vordingborg Kommune"
base-tagline = { $municipality } — settlement
# $municipality (String) the municipality's name
base-footer-about = Velkomst is the case system { $municipality } uses to welcome and settle new residents.
base-skip-link = Go to page content
base-home-link-title = Go to the front page
base-logged-in-as = Logged in as
base-role-admin = Administrator
base-role-consultant = Consultant
base-role-ambassador = Ambassador
base-logout = Log out
base-nav-label = Main menu
base-nav-cases = Cases
base-nav-users = Users
# Link to the same page in the other language, so it is in Danish.
base-lang-switch = Dansk
