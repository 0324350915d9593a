# Shared page layout (templates/base.html)

base-product-name = Velkomst
base-tagline = Moving here
base-tagline-staff = Velkomst – case handling
base-skip-link = Go to page content
base-home-link-title = Go to the front page
base-logged-in-as = Logged in as
base-role-admin = Administrator
base-role-consultant = Consultant
base-role-ambassador = Ambassador
base-role-reporter = Report reader
base-logout = Log out
base-nav-label = Main menu
base-nav-cases = Cases
base-nav-users = Users
# Link to the same page in the other language, so it is in Danish.
base-lang-switch = Dansk
base-phone = Phone:
base-email = Email:
base-opening-hours = Opening hours
base-privacy-link = How we process your personal data
base-accessibility-link = Accessibility statement
