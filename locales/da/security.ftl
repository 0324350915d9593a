# Sikkerhed: login, adgangskoder, tofaktor, tokens og revisionsspor.
login-throttled = For mange forsøg. Vent lidt, og prøv så igen.
