global using Portal.Tests.Support;
