// Test classes wait far more than they compute (PostgreSQL round trips, the SMTP sink, shipped apps starting):
// a whole run used under a fifth of one core with xUnit's default of one class per core. Four classes at a time
// keep ./test.sh within its ten minutes on a 2-core machine. Each class still has its own database.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
